"""The help library: resources staff keep (legal, housing, health, safety, work and study,
peer support), a grounding exercise, and the page every outside link goes through."""
