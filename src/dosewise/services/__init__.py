"""Services: one function per user action. The CLI and the web app call these and nothing below."""
