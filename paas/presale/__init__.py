"""Pre-sale (售前): what a visitor sees before buying, with no login — the products on sale
described in words, quotes from typed input, and the knowledge pages' live examples."""
