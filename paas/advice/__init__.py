"""Needs analysis (保险需求分析): how much life cover a household needs and which products
suit it. Plain functions over plain values; the web advisor shows their reasoning."""
