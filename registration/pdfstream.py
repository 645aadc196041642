"""A PDF written to its file as it grows, from documents that reportlab renders in chunks.

reportlab's Canvas keeps every finished page until save() and then builds the whole file
in memory, so a 100,000-page document cannot be drawn in bounded memory in one Canvas.
The printouts therefore draw a few hundred pages at a time into a small in-memory PDF
(`ChunkedCanvas`), and `StreamingPdf` copies each chunk's objects, renumbered, into the
output file at once. All it keeps are the byte offsets of the objects written (an array,
8 bytes per object, for the cross-reference table) and one entry per chunk for the page
tree, which it writes with the catalog, the cross-reference table and the trailer at the
end.

Why chunks of reportlab output rather than a content-stream writer of our own: the layout
code, the text measuring and the embedding of subsets of the DejaVu font stay reportlab's
(public API only), and pypdf, which the site already uses to check uploaded PDFs, parses
each chunk. The price: each chunk embeds its own font subsets (about 18 KB per chunk for
each of the two fonts, some 8 per cent of a file of A6 badges), and the parse and the
garbage collection after each chunk cost some CPU per page.

The page tree has two levels: each chunk's own page tree node becomes a child of one root
node, so the root lists one entry per chunk instead of one per page.
"""

from __future__ import annotations

import gc
import io
from array import array
from collections import deque

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

# Pages drawn into one in-memory PDF before it is copied to the file: large enough that the
# font subsets each chunk embeds cost little, small enough that a chunk stays a few MiB
# (reportlab holds each page's drawing uncompressed until the chunk is saved).
PAGES_PER_CHUNK = 250

# Object numbers written last but known from the start, so that every page can point to
# the root of the page tree.
CATALOG, PAGE_TREE, INFO = 1, 2, 3


class _CountingWriter:
    """The output file, and how many bytes went into it (the offsets of the xref table)."""

    def __init__(self, out):
        self.out = out
        self.position = 0

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.position += len(data)
        return len(data)


class StreamingPdf:
    """Writes the pages of whole PDF documents (`add_document`) into one PDF on `out`."""

    def __init__(self, out, *, title: str = "", author: str = ""):
        self._out = _CountingWriter(out)
        self._info = {"/Title": title, "/Author": author, "/Producer": "eventsite"}
        # _offsets[n - 1] is the byte offset of object n; 0 until it is written.
        self._offsets = array("Q", [0, 0, 0])
        self._chunk_trees = array("Q")
        self.pages = 0
        # The second line tells file-transfer tools that the file is binary (PDF 7.5.2).
        self._out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _new_number(self) -> int:
        self._offsets.append(0)
        return len(self._offsets)

    def _write_object(self, number: int, obj) -> None:
        self._offsets[number - 1] = self._out.position
        self._out.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(self._out)
        self._out.write(b"\nendobj\n")

    def add_document(self, data: bytes) -> int:
        """Copy the pages of one PDF (with everything they use) to the file; returns how
        many pages it had. Its catalog, outlines and document information are left out."""
        count = self._copy_pages(data)
        # pypdf's objects point back to their reader: without a collection now, the chunks'
        # cycles would wait for the collector's next full pass, and memory would grow with
        # the pages after all.
        gc.collect()
        return count

    def _copy_pages(self, data: bytes) -> int:
        reader = PdfReader(io.BytesIO(data), strict=True)
        tree_ref = reader.trailer["/Root"].raw_get("/Pages")
        numbers = {tree_ref.idnum: self._new_number()}
        queue = deque([tree_ref.idnum])
        while queue:
            old = queue.popleft()
            obj = self._renumber(reader.get_object(old), numbers, queue)
            if old == tree_ref.idnum:
                obj[NameObject("/Parent")] = IndirectObject(PAGE_TREE, 0, None)
                count = int(obj["/Count"])
            self._write_object(numbers[old], obj)
        self._chunk_trees.append(numbers[tree_ref.idnum])
        self.pages += count
        return count

    def _renumber(self, obj, numbers: dict, queue: deque):
        """The object with its references changed to the numbers in the output, in place:
        the chunk's reader is dropped afterwards. New references are queued for copying."""
        if isinstance(obj, IndirectObject):
            if obj.idnum not in numbers:
                numbers[obj.idnum] = self._new_number()
                queue.append(obj.idnum)
            return IndirectObject(numbers[obj.idnum], 0, None)
        if isinstance(obj, DictionaryObject):  # streams too
            for key, value in list(obj.items()):
                obj[key] = self._renumber(value, numbers, queue)
        elif isinstance(obj, ArrayObject):
            for index, value in enumerate(obj):
                obj[index] = self._renumber(value, numbers, queue)
        return obj

    def close(self) -> None:
        """The page tree's root, the catalog, the document information, the xref table and
        the trailer. The file itself is left open."""
        tree = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(
                    IndirectObject(number, 0, None) for number in self._chunk_trees
                ),
                NameObject("/Count"): NumberObject(self.pages),
            }
        )
        self._write_object(PAGE_TREE, tree)
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(PAGE_TREE, 0, None),
            }
        )
        self._write_object(CATALOG, catalog)
        info = DictionaryObject(
            {NameObject(key): TextStringObject(value) for key, value in self._info.items()}
        )
        self._write_object(INFO, info)
        xref = self._out.position
        size = len(self._offsets) + 1
        self._out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for offset in self._offsets:
            self._out.write(b"%010d 00000 n \n" % offset)
        self._out.write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, CATALOG, INFO, xref)
        )


class ChunkedCanvas:
    """A reportlab Canvas for the current page; every pages_per_chunk pages (default
    PAGES_PER_CHUNK) the finished ones go into the StreamingPdf on `out` and drawing goes on
    in a fresh Canvas.

        document = ChunkedCanvas(out, pagesize=A4, title="…")
        document.canvas.drawString(…)
        document.end_page()
        …
        document.close()
    """

    def __init__(
        self,
        out,
        *,
        pagesize,
        title: str = "",
        author: str = "",
        pages_per_chunk: int | None = None,
    ):
        self._pdf = StreamingPdf(out, title=title, author=author)
        self._pagesize = pagesize
        self._pages_per_chunk = pages_per_chunk or PAGES_PER_CHUNK
        self._pages_in_chunk = 0
        self._new_canvas()

    def _new_canvas(self) -> None:
        self._buffer = io.BytesIO()
        self.canvas = Canvas(self._buffer, pagesize=self._pagesize, pageCompression=1)

    def end_page(self) -> None:
        self.canvas.showPage()
        self._pages_in_chunk += 1
        if self._pages_in_chunk == self._pages_per_chunk:
            self._flush()
            self._new_canvas()

    def _flush(self) -> None:
        self.canvas.save()
        self._pdf.add_document(self._buffer.getvalue())
        self._buffer = None
        self._pages_in_chunk = 0

    def close(self) -> int:
        """Write the last pages and the end of the file; returns the number of pages."""
        if self._pages_in_chunk or not self._pdf.pages:
            self._flush()
        self._pdf.close()
        return self._pdf.pages
