namespace MerchantPortal.PrinterSandbox;

/// <summary>
/// Code 128 (ISO/IEC 15417) written from the standard's symbol table, so the simulator renders what a printer would
/// burn without borrowing the portal's (ZXing-based) encoder. Code set C for an even run of digits, else code set B;
/// that gives the same characters a printer's automatic mode (ZPL ^BC mode A, TSPL "128") would, if not always the
/// same number of symbols, which does not change what a scanner reads.
/// </summary>
internal static class Code128Encoder
{
    public const int QuietZoneModules = 10;

    private const int StartB = 104;
    private const int StartC = 105;
    private const int CodeB = 100;
    private const int CodeC = 99;
    private const int Stop = 106;

    // Bar, space, bar, space, bar, space widths in modules for values 0–105; 106 (stop) has a seventh element, the final bar.
    private static readonly string[] Patterns =
    [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ];

    /// <summary>The symbol values, start and check symbol and stop included.</summary>
    public static List<int> Values(string data)
    {
        ArgumentException.ThrowIfNullOrEmpty(data);
        foreach (var ch in data)
        {
            if (ch is < ' ' or > '~')
            {
                throw new ArgumentException($"Code set B/C cannot carry '{ch}' (U+{(int)ch:X4}).", nameof(data));
            }
        }
        var values = new List<int>();
        var i = 0;
        var set = DigitRun(data, 0) >= 4 || (DigitRun(data, 0) == data.Length && data.Length % 2 == 0) ? CodeC : CodeB;
        values.Add(set == CodeC ? StartC : StartB);
        while (i < data.Length)
        {
            var run = DigitRun(data, i);
            if (set == CodeB && run >= 4 && (run % 2 == 0 || i + run == data.Length || run >= 6))
            {
                // Switch to C for the even part of a long digit run (an odd leftover digit stays in B).
                values.Add(CodeC);
                set = CodeC;
            }
            if (set == CodeC)
            {
                if (run >= 2)
                {
                    values.Add(((data[i] - '0') * 10) + (data[i + 1] - '0'));
                    i += 2;
                    continue;
                }
                values.Add(CodeB);
                set = CodeB;
            }
            values.Add(data[i] - ' ');
            i++;
        }
        // Mod-103 check: start value plus each symbol value times its position.
        var sum = values[0];
        for (var p = 1; p < values.Count; p++)
        {
            sum += values[p] * p;
        }
        values.Add(sum % 103);
        values.Add(Stop);
        return values;
    }

    /// <summary>The symbol as modules, true = dark, quiet zones excluded.</summary>
    public static bool[] Modules(string data)
    {
        var modules = new List<bool>();
        foreach (var value in Values(data))
        {
            var dark = true;
            foreach (var width in Patterns[value])
            {
                for (var w = 0; w < width - '0'; w++)
                {
                    modules.Add(dark);
                }
                dark = !dark;
            }
        }
        return [.. modules];
    }

    private static int DigitRun(string data, int from)
    {
        var i = from;
        while (i < data.Length && char.IsAsciiDigit(data[i]))
        {
            i++;
        }
        return i - from;
    }
}
