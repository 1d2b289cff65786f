from dosewise.cli.app import main

main()
