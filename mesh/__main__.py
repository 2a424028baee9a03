"""``python -m mesh`` runs the command line."""

from mesh.cli import main

main()
