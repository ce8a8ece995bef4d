// htmx under the site's Content-Security-Policy: no <style> of its own (the indicator
// rules are in the stylesheet) and no script run from a swapped fragment.
htmx.config.includeIndicatorStyles = false;
htmx.config.allowScriptTags = false;
htmx.config.allowEval = false;
