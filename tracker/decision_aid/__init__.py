"""The decision aid (*beslishulp AI-verordening*): the government's official AI Act
question tree, imported as data, walked question by question, and stored per
algorithm as the grounds for its AI profile.

- ``conditions``: a small, safe parser for the trees' ``if`` expressions (never eval);
- ``tree``: the tree as plain data, parsed and validated from an upstream folder;
- ``walk``: following answers to a conclusion, and the labels it collects;
- ``profile``: from the aid's labels to the Algoritmekader's labels and an AIProfile;
- ``models``, ``importer``, ``runs``: imported versions, stored runs, review flags;
- ``views``, ``urls``: the pages (question by question, result, confirm).
"""
