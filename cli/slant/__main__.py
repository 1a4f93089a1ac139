from slant.cli.app import main

main()
