"""Durable storage of coder files: a journalled TinyDB storage and the per-coder lock."""
