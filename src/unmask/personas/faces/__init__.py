"""Profile photos: safe loading, face and eye location, the StyleGAN/FFHQ eye template, perceptual hashes,
network-level blends and montages.  Needs the optional ``faces`` dependencies (``pip install 'unmask[faces]'``).
"""


class FacesUnavailable(RuntimeError):
    """No face back end can run here (the optional ``faces`` dependencies are missing)."""
