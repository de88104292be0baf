using MerchantPortal.Web.Features.Printing;

namespace MerchantPortal.Web.Features.Waybills.Labels;

/// <summary>
/// Where things go on a thermal label of one of the three standard sizes, in printer dots (8 per mm at 203 dpi). The
/// 100×150 mm layout is the design; 76×130 (一联单) shrinks it (widths by 76/100, heights by 130/150, type by the
/// smaller of the two), and 100×180 (二联单) is the 100×150 label with a 30 mm sender's stub below it. ZPL and TSPL
/// share this, so the two languages print the same label.
/// </summary>
internal sealed record LabelGeometry(LabelSize Size, int Dpmm, int Width, int Height, int LabelHeight, double Sx, double Sy)
{
    public const int DefaultDpmm = 8;

    /// <summary>The sender's stub (寄件联) of 100×180: 30 mm under the label.</summary>
    public bool HasSenderStub => Size == LabelSize.Mm100x180;

    public static LabelGeometry For(LabelSize size, int dpmm = DefaultDpmm) => size switch
    {
        LabelSize.Mm76x130 => new(size, dpmm, 76 * dpmm, 130 * dpmm, 130 * dpmm, 0.76, 130.0 / 150),
        LabelSize.Mm100x180 => new(size, dpmm, 100 * dpmm, 180 * dpmm, 150 * dpmm, 1, 1),
        _ => new(size, dpmm, 100 * dpmm, 150 * dpmm, 150 * dpmm, 1, 1),
    };

    /// <summary>The printed size in millimetres, as (width, height).</summary>
    public static (int Width, int Height) Millimetres(LabelSize size) => size switch
    {
        LabelSize.Mm76x130 => (76, 130),
        LabelSize.Mm100x180 => (100, 180),
        _ => (100, 150),
    };

    public int Margin => X(16);

    public int Right => Width - Margin;

    public int MarkTop => RowMm(14);

    public int BarcodeTop => RowMm(31);

    public int ReceiverTop => RowMm(58);

    public int SenderTop => RowMm(88);

    public int ItemsTop => RowMm(107);

    public int StubTop => RowMm(126);

    /// <summary>The bottom of the framed label (the sender's stub, where there is one, is below it).</summary>
    public int Bottom => LabelHeight - Margin;

    /// <summary>A horizontal distance of the 100 mm design (in 8-dot design units) on this label.</summary>
    public int X(int designDots) => Sx == 1 && Dpmm == DefaultDpmm ? designDots : (int)Math.Round(designDots * Sx * Dpmm / DefaultDpmm);

    /// <summary>A vertical distance of the 150 mm design on this label.</summary>
    public int Y(int designDots) => Sy == 1 && Dpmm == DefaultDpmm ? designDots : (int)Math.Round(designDots * Sy * Dpmm / DefaultDpmm);

    /// <summary>A character height of the design on this label (never under 20 dots, still legible at 203 dpi).</summary>
    public int Font(int designDots) => Math.Min(Sx, Sy) == 1 && Dpmm == DefaultDpmm ? designDots : Math.Max(20, (int)Math.Round(designDots * Math.Min(Sx, Sy) * Dpmm / DefaultDpmm));

    private int RowMm(int mm) => Y(mm * DefaultDpmm);
}
