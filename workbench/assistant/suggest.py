"""`workbench suggest`: train the coder's model, propose codes, keep them in the suggestions file."""

from __future__ import annotations

from workbench.assistant.model import CoderModel, Suggestion
from workbench.assistant.similar import SimilarFinder
from workbench.assistant.store import assistant_name, settled_proposals, write_suggestions
from workbench.errors import WorkbenchError


def suggest(project, coder_name: str, transcripts: list[str] | None = None, limit: int | None = None,
            finder: SimilarFinder | None = None) -> tuple[list[Suggestion], str]:
    """Suggestions for the coder's uncoded passages (of `transcripts`, or all); they replace the
    open ones there in `assistant-<coder>`. Returns them and the model's fingerprint."""
    wanted = None
    if transcripts:
        wanted = {project.transcript(t).id for t in transcripts}
    finder = finder or SimilarFinder(project)
    with project.open_coder(coder_name, readonly=True, must_exist=True) as coder:
        if not coder.codings():
            raise WorkbenchError(f"{coder_name} has no codings yet: the assistant learns from them")
        model = CoderModel(finder, coder)
        skip = set()
        if assistant_name(coder_name) in project.coders():
            with project.open_coder(assistant_name(coder_name), readonly=True) as assistant:
                skip = settled_proposals(assistant)
        found = model.suggest(wanted, limit, skip)
        write_suggestions(project, coder, found, model.fingerprint, wanted)
    return found, model.fingerprint
