"""The command-line edge: parse input, call one service, render the result with Rich."""
