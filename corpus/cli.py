"""The `xjsearch corpus` commands: look at how raw pages become articles."""
