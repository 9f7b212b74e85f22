from watcher.cli import cli

cli()
