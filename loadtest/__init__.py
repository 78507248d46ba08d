"""`make loadtest`: the app under gunicorn on 127.0.0.1, twenty users through its own forms.

``__main__`` runs it (processes, faults, report); ``client`` is the browser-like HTTP
client and the users' behaviour; ``world`` seeds the database and checks it afterwards.
"""
