"""The review loop: an archivist's decisions on uncertain repairs, and the archive's own words.

`words`: a word list (names, places, local terms) added to the lexicon, learned from decisions;
`decisions`: the decisions file, its item ids, and applying it to a conversion's repairs.
"""
