"""Children's services: children in need, child protection plans and looked-after episodes."""
