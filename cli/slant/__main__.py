from slant.app import main

main()
