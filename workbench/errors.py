"""The errors the core raises. Each carries a message fit to show a researcher as it is."""


class WorkbenchError(Exception):
    """Anything the user can act on: the CLI prints it on one line and exits non-zero."""


class ProjectNotFound(WorkbenchError):
    pass


class ImportRefused(WorkbenchError):
    """A file that will not be imported, with the file and the reason in the message."""


class DamagedFile(WorkbenchError):
    """A project file that cannot be read as ours; it is left untouched."""


class CoderFileLocked(WorkbenchError):
    """Another session holds the coder file."""


class NotFound(WorkbenchError):
    pass


class Ambiguous(WorkbenchError):
    pass


class StorageFailure(WorkbenchError):
    """A write that did not reach the disk (full disk, I/O error); the previous state is intact."""


class BadTranscriptId(WorkbenchError):
    """A transcript id that breaks the one rule for them (see transcripts.naming)."""


class CompactionFailed(StorageFailure):
    """Folding a coder file's journal into the file failed: every change is still saved (in
    the journal); only the tidying is left for later."""


class SavedWithWarning(UserWarning):
    """A command's changes are saved, but something after them failed (compaction): the
    command succeeds and says so on stderr, as a warning."""
