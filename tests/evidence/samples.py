"""Small but real sample files for the upload tests, built in memory."""

import io
import zipfile

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)
CSV = b"naam;waarde\nkans;3\nimpact;4\n"
TEXT = "Toelichting bij het restrisico: één regel.\n".encode()
JSON = b'{"besluit": "go", "score": [1, 2, 3]}'

OOXML_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ODF_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def ooxml(kind: str, *, macro: bool = False) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/main.xml" ContentType="{OOXML_TYPES[kind]}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("main.xml", "<document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def odf(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODF_TYPES[kind])
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    return buffer.getvalue()


def multipart(fields: dict[str, str], file_field: str, file_name: str, content: bytes):
    """A raw multipart body with the file name exactly as given (the test client would
    strip a path from it). Returns (body, content_type)."""
    boundary = "----algokader-test-boundary"
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(
        (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{file_field}"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def pdf_with_open_action(action: str = "<< /S /JavaScript /JS (app.alert(1)) >>") -> bytes:
    """A one-page-less PDF whose catalog runs an action when it is opened."""
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"3 0 obj\n" + action.encode() + b"\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def pdf_with_compressed_script() -> bytes:
    """A PDF 1.5 whose script action sits inside a compressed object stream (invisible
    to a byte scan) and is listed by a cross-reference stream."""
    import zlib

    action = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    objstm_data = b"3 0 " + action
    objstm = zlib.compress(objstm_data)
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    offsets[1] = len(out)
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>\nendobj\n"
    offsets[2] = len(out)
    out += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    offsets[4] = len(out)
    out += (
        b"4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(objstm)
        + objstm
        + b"\nendstream\nendobj\n"
    )
    offsets[5] = len(out)
    rows = [
        b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big"),
        b"\x01" + offsets[1].to_bytes(4, "big") + b"\x00\x00",
        b"\x01" + offsets[2].to_bytes(4, "big") + b"\x00\x00",
        b"\x02" + (4).to_bytes(4, "big") + b"\x00\x00",  # object 3: in stream 4, index 0
        b"\x01" + offsets[4].to_bytes(4, "big") + b"\x00\x00",
        b"\x01" + offsets[5].to_bytes(4, "big") + b"\x00\x00",
    ]
    xref = zlib.compress(b"".join(rows))
    out += (
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode"
        b" /Length %d >>\nstream\n"
        % len(xref)
        + xref
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[5]
    )
    return bytes(out)


def odf_with_macro(kind: str, *, where: str = "basic") -> bytes:
    """An ODF document with a Basic library, a script folder, or an event bound to a macro."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODF_TYPES[kind])
        content = "<office:document-content/>"
        if where == "event":
            content = (
                "<office:document-content><office:scripts><office:event-listeners>"
                '<script:event-listener script:language="ooo:script" script:event-name='
                '"dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Main?'
                'language=Basic&amp;location=document"/></office:event-listeners>'
                "</office:scripts></office:document-content>"
            )
        archive.writestr("content.xml", content)
        if where == "basic":
            archive.writestr("Basic/Standard/Module1.xml", "<script:module/>")
        if where == "scripts":
            archive.writestr("Scripts/python/macro.py", "import os")
    return buffer.getvalue()
