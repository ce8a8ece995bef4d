"""Citizen proposals, supports, comments, moderation, review and implementation."""
