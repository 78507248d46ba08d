"""Typeset one dossier with Typst, in a process of its own (run by tracker.exports.pdf).

    python typesetter.py ROOT TEMPLATE TIMESTAMP [FONT_DIR ...] < input.json > dossier.pdf

Reads the template's JSON input on standard input and writes the PDF/UA-1 document on
standard output; on a Typst error it prints the message on standard error and exits 1.

Why a process of its own: the Typst binding memoises layout in a process-wide cache that
it never evicts, so every compilation in a long-lived worker would add its own 100+ MB
(measured: 176, 285, 391, 504, 612 MB after five dossiers). A short-lived process hands
that memory back when it exits. It imports only ``typst``, not Django, and reads no file
outside ROOT (Typst's project root, the template folder).
"""

import sys


def main(argv: list[str]) -> int:
    import typst

    root, template, timestamp, *font_dirs = argv
    fonts = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=True, font_paths=font_dirs
    )
    compiler = typst.Compiler(root=root, font_paths=fonts, ignore_system_fonts=True)
    try:
        with open(template, "rb") as handle:
            source = handle.read()
        content = compiler.compile(
            input=source,
            format="pdf",
            sys_inputs={"dossier": sys.stdin.buffer.read().decode("utf-8")},
            pdf_standards="ua-1",
            timestamp=int(timestamp),
        )
    except typst.TypstError as error:
        sys.stderr.write(f"{error.message}\n{error.diagnostic}\n")
        return 1
    sys.stdout.buffer.write(content)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
