from cfglint.cli import main

main()
