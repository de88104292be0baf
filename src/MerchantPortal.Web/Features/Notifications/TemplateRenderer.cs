using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>Fills {placeholders} from the outbox row's values; an unknown placeholder becomes empty, never "{x}" to a customer.</summary>
public static partial class TemplateRenderer
{
    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : "");

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
