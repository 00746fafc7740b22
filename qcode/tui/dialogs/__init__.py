"""Modal dialogs that return a value through `dismiss`: code picker, memo editor, coder name, choice."""
