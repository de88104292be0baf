using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MerchantPortal.Carriers;

/// <summary>Writing strict JSON and reading answers tolerantly (carrier-protocol.md §1.4, §4).</summary>
internal static class KdniaoJson
{
    // Strict JSON, PascalCase keys as declared, nulls left out, Chinese kept literal: the DataSign is computed over
    // exactly this text (§1.3), and \u-escaped Chinese would be valid JSON yet differ from what other clients send.
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonDocumentOptions ReadOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, WriteOptions);

    public static string SerializeObject(IReadOnlyDictionary<string, object?> value) => JsonSerializer.Serialize(value, WriteOptions);

    /// <summary>Parses an answer; false when it is not a JSON object.</summary>
    public static bool TryParseObject(string? text, out JsonElement root)
    {
        root = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(text.AsMemory(), ReadOptions);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            root = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Case-insensitive property lookup (some servers and SDKs vary key case, §1.4). Exact match first.</summary>
    public static bool TryProp(this JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (obj.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = p.Value;
                return true;
            }
        }

        return false;
    }

    /// <summary>A value as text whether it came as a string, a number or a bool; null when absent, null or empty.</summary>
    public static string? Str(this JsonElement obj, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (!obj.TryProp(name, out var v))
            {
                continue;
            }

            var text = v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => v.GetRawText(),
            };
            if (!string.IsNullOrWhiteSpace(text))
            {
                return text.Trim();
            }
        }

        return null;
    }

    /// <summary>A bool sent as true/false, "true"/"false" (§4: tolerated by S1's BoolJsonConverter) or 1/0.</summary>
    public static bool? Bool(this JsonElement obj, string name)
    {
        if (!obj.TryProp(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => v.TryGetDecimal(out var n) ? n != 0 : null,
            JsonValueKind.String => v.GetString()?.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                _ => null,
            },
            _ => null,
        };
    }

    public static JsonElement? Obj(this JsonElement obj, string name) =>
        obj.TryProp(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static IEnumerable<JsonElement> Arr(this JsonElement obj, string name) =>
        obj.TryProp(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    public static string Invariant(this decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
