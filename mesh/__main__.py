"""``python -m mesh`` runs the command line."""

from mesh.cli.app import main

main()
