"""The privacy kernel: keys, the AES-256-GCM envelope and the blind index.

Pure Python over ``cryptography``; it imports nothing of Django nor of the rest
of the project, so it can be read, tested and reasoned about alone.
``privacy.crypto`` binds it to the settings.
"""
