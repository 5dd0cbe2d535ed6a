//! TODO(injection): implemented by its owner; see the module's issue.
