using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MerchantPortal.CarrierSandbox.Protocol;

/// <summary>
/// The tolerant reader carrier-protocol.md §1.4 asks for: single-quoted JSON (the official demos send it),
/// case-insensitive keys, numbers as strings and strings as numbers.
/// </summary>
public static class LenientJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static bool TryParse(string text, out JsonElement root)
    {
        root = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(NormalizeQuotes(text), DocumentOptions);
            root = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Rewrites single-quoted strings as double-quoted ones, escaping inner double quotes.</summary>
    internal static string NormalizeQuotes(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is null)
            {
                if (c == '\'')
                {
                    quote = '\'';
                    sb.Append('"');
                    continue;
                }

                if (c == '"')
                {
                    quote = '"';
                }

                sb.Append(c);
                continue;
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                i++;
                if (quote == '\'' && next == '\'')
                {
                    sb.Append('\'');
                }
                else
                {
                    sb.Append(c).Append(next);
                }

                continue;
            }

            if (c == quote)
            {
                sb.Append('"');
                quote = null;
                continue;
            }

            if (quote == '\'' && c == '"')
            {
                sb.Append("\\\"");
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    public static JsonElement? Prop(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>A string value; numbers and booleans come back as their text, trimmed.</summary>
    public static string? Str(this JsonElement element, string name) => AsString(element.Prop(name));

    public static string? AsString(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.String => value.Value.GetString()?.Trim(),
        JsonValueKind.Number => value.Value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    public static int? Int(this JsonElement element, string name)
    {
        var value = element.Prop(name);
        switch (value?.ValueKind)
        {
            case JsonValueKind.Number when value.Value.TryGetDouble(out var d):
                return (int)d;
            case JsonValueKind.String when double.TryParse(value.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                return (int)parsed;
            case JsonValueKind.True:
                return 1;
            case JsonValueKind.False:
                return 0;
            default:
                return null;
        }
    }

    public static JsonElement? Obj(this JsonElement element, string name)
    {
        var value = element.Prop(name);
        return value?.ValueKind == JsonValueKind.Object ? value : null;
    }

    public static JsonElement? Arr(this JsonElement element, string name)
    {
        var value = element.Prop(name);
        return value?.ValueKind == JsonValueKind.Array ? value : null;
    }
}
