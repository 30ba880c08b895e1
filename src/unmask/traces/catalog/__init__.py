"""The built-in traces, one module each; importing this package registers them in run order."""

from . import (  # noqa: F401
    co_domain,
    co_hashtag,
    co_link,
    co_mention,
    co_post,
    co_reply,
    co_repost,
    near_dup,
    shared_image,
    slow_repost,
    sync,
)
