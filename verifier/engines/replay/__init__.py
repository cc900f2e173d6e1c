"""engines/replay"""
