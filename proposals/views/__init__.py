"""Pages of proposals, one module per lifecycle: the lists, writing one, its page and what
residents do on it, moderation, the akimat's review, the akim's decision, and inclusion in
the budget and implementation. Thin: parse, check the rule, call a service or a selector,
render. proposals/urls.py names each page."""
