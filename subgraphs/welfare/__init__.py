"""Welfare: Universal Credit claimants, their claims and their labour-market status."""
