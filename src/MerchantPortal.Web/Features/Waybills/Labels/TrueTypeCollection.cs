using System.Buffers.Binary;

namespace MerchantPortal.Web.Features.Waybills.Labels;

/// <summary>
/// Cuts one face out of a TrueType collection (.ttc) into a standalone .ttf.
/// </summary>
/// <remarks>
/// Why: PDFsharp 6 reads a font through <c>IFontResolver.GetFont</c> as one sfnt file and fails on a collection
/// (the file starts with <c>ttcf</c>, not with an sfnt version). The CJK font we ship (WenQuanYi Micro Hei) only
/// exists as a collection of two faces (proportional and mono) that share most tables. Rather than ship a second
/// 5 MB file converted by some external tool, the portal rebuilds the sfnt in memory once per process.
///
/// Layout (OpenType spec, "Font Collections" and "Table Directory"; all integers big-endian):
/// <code>
/// TTC header:   'ttcf' | uint16 major, uint16 minor | uint32 numFonts | uint32 offsetTable[numFonts] | (v2: DSIG)
/// Table dir:    uint32 sfntVersion | uint16 numTables | uint16 searchRange | uint16 entrySelector | uint16 rangeShift
///               numTables × { tag[4] | uint32 checksum | uint32 offset | uint32 length }
/// </code>
/// In a collection every table offset counts from the start of the .ttc file, and faces may point at the same
/// table bytes. A standalone font needs its own directory with offsets counted from the start of the new file,
/// each table 4-byte aligned, and a <c>head.checkSumAdjustment</c> that matches the new file as a whole.
/// Table bytes are copied unchanged; their directory checksums are recomputed anyway, because the WQY collection
/// (built with FontForge) stores a <c>head</c> checksum taken with checkSumAdjustment included, which the spec
/// says must be zero for that sum, and strict readers reject the font for it.
/// </remarks>
internal static class TrueTypeCollection
{
    private const uint TtcTag = 0x74746366; // 'ttcf'
    private const uint HeadTag = 0x68656164; // 'head'
    private const int TableDirectoryHeaderSize = 12;
    private const int TableRecordSize = 16;

    // head table: uint16 major, uint16 minor, Fixed fontRevision, then uint32 checkSumAdjustment at byte 8.
    private const int CheckSumAdjustmentOffsetInHead = 8;

    // The spec's magic: checkSumAdjustment = 0xB1B0AFBA − (checksum of the whole font with the field set to 0).
    private const uint CheckSumMagic = 0xB1B0AFBA;

    /// <summary>True when the bytes are a collection rather than a single sfnt.</summary>
    public static bool IsCollection(ReadOnlySpan<byte> font) =>
        font.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(font) == TtcTag;

    /// <summary>Number of faces in the collection.</summary>
    public static int FaceCount(ReadOnlySpan<byte> ttc)
    {
        RequireCollection(ttc);
        return checked((int)ReadUInt32(ttc, 8));
    }

    /// <summary>Returns face <paramref name="faceIndex"/> of the collection as a standalone TrueType font.</summary>
    public static byte[] ExtractFace(ReadOnlySpan<byte> ttc, int faceIndex = 0)
    {
        RequireCollection(ttc);
        var faceCount = FaceCount(ttc);
        if (faceIndex < 0 || faceIndex >= faceCount)
        {
            throw new ArgumentOutOfRangeException(nameof(faceIndex), faceIndex, $"The collection has {faceCount} face(s).");
        }

        // The face's table directory lives wherever offsetTable[faceIndex] says.
        var directory = checked((int)ReadUInt32(ttc, 12 + (4 * faceIndex)));
        var sfntVersion = ReadUInt32(ttc, directory);
        var tableCount = ReadUInt16(ttc, directory + 4);

        var tables = new TableRecord[tableCount];
        for (var i = 0; i < tableCount; i++)
        {
            var record = directory + TableDirectoryHeaderSize + (i * TableRecordSize);
            tables[i] = new TableRecord(
                Tag: ReadUInt32(ttc, record),
                SourceOffset: checked((int)ReadUInt32(ttc, record + 8)),
                Length: checked((int)ReadUInt32(ttc, record + 12)));
            if ((long)tables[i].SourceOffset + tables[i].Length > ttc.Length)
            {
                throw new InvalidDataException($"Table {TagName(tables[i].Tag)} lies outside the collection file.");
            }
        }

        // The spec wants directory records sorted by tag (binary search by readers). Collections already are,
        // but sorting costs nothing and protects against a sloppy font.
        Array.Sort(tables, static (a, b) => a.Tag.CompareTo(b.Tag));

        // New layout: header, records, then each table padded to a 4-byte boundary.
        var headerSize = TableDirectoryHeaderSize + (tableCount * TableRecordSize);
        var size = (long)headerSize;
        foreach (var t in tables)
        {
            size += Pad4(t.Length);
        }
        var ttf = new byte[checked((int)size)];

        WriteUInt32(ttf, 0, sfntVersion);
        WriteUInt16(ttf, 4, tableCount);
        // searchRange, entrySelector and rangeShift are derived from numTables (binary-search hints);
        // recomputed rather than copied so the header is right even if we ever drop a table.
        var entrySelector = (ushort)Math.Floor(Math.Log2(tableCount));
        var searchRange = (ushort)((1 << entrySelector) * TableRecordSize);
        WriteUInt16(ttf, 6, searchRange);
        WriteUInt16(ttf, 8, entrySelector);
        WriteUInt16(ttf, 10, (ushort)((tableCount * TableRecordSize) - searchRange));

        var offset = headerSize;
        var headOffset = -1;
        for (var i = 0; i < tables.Length; i++)
        {
            var t = tables[i];
            var record = TableDirectoryHeaderSize + (i * TableRecordSize);
            var data = ttf.AsSpan(offset, t.Length);
            ttc.Slice(t.SourceOffset, t.Length).CopyTo(data);
            if (t.Tag == HeadTag)
            {
                headOffset = offset;
                // Zeroed before summing: the head checksum is defined with checkSumAdjustment = 0.
                WriteUInt32(ttf, offset + CheckSumAdjustmentOffsetInHead, 0);
            }
            WriteUInt32(ttf, record, t.Tag);
            WriteUInt32(ttf, record + 4, Checksum(data));
            WriteUInt32(ttf, record + 8, (uint)offset);
            WriteUInt32(ttf, record + 12, (uint)t.Length);
            offset += Pad4(t.Length); // the padding bytes are already zero
        }

        if (headOffset >= 0)
        {
            // The whole-file checksum changed with the new directory; set the adjustment so the file sums to
            // the magic number, as validators and strict renderers expect.
            WriteUInt32(ttf, headOffset + CheckSumAdjustmentOffsetInHead, unchecked(CheckSumMagic - Checksum(ttf)));
        }
        return ttf;
    }

    /// <summary>The sfnt checksum: the sum of big-endian uint32 words, the data zero-padded to a multiple of 4.</summary>
    internal static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var whole = data.Length & ~3;
        for (var i = 0; i < whole; i += 4)
        {
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        }
        if (whole < data.Length)
        {
            Span<byte> last = stackalloc byte[4];
            last.Clear();
            data[whole..].CopyTo(last);
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(last));
        }
        return sum;
    }

    private static void RequireCollection(ReadOnlySpan<byte> font)
    {
        if (font.Length < 12 || !IsCollection(font))
        {
            throw new InvalidDataException("Not a TrueType collection (the file does not start with 'ttcf').");
        }
    }

    private static int Pad4(int length) => (length + 3) & ~3;

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset)
    {
        if (offset < 0 || offset + 4 > data.Length)
        {
            throw new InvalidDataException("The font file is truncated.");
        }
        return BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, int offset)
    {
        if (offset < 0 || offset + 2 > data.Length)
        {
            throw new InvalidDataException("The font file is truncated.");
        }
        return BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
    }

    private static void WriteUInt32(byte[] data, int offset, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset), value);

    private static void WriteUInt16(byte[] data, int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(offset), value);

    private static string TagName(uint tag) =>
        string.Create(4, tag, static (span, t) =>
        {
            for (var i = 0; i < 4; i++)
            {
                span[i] = (char)((t >> (24 - (8 * i))) & 0xFF);
            }
        });

    private readonly record struct TableRecord(uint Tag, int SourceOffset, int Length);
}
