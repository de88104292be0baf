using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MerchantPortal.Web.Components.Shared;

/// <summary>Marker for MudBlazor's own strings in our languages: MudResources.resx / .zh-CN.resx (keys are MudBlazor's).</summary>
public sealed class MudResources;

/// <summary>
/// MudBlazor ships English only; its components (pagers, dialogs, pickers, chips) ask this localizer for every other
/// culture. A key we have not translated reports ResourceNotFound and MudBlazor falls back to its English.
/// </summary>
public sealed class PortalMudLocalizer(IStringLocalizer<MudResources> strings) : MudLocalizer
{
    public override LocalizedString this[string key] => strings[key];

    /// <summary>
    /// Some MudBlazor strings carry named tokens it fills itself ("{first_item}"), which string.Format would reject;
    /// only numbered placeholders are formatted here.
    /// </summary>
    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            var raw = strings[key];
            if (raw.ResourceNotFound || arguments.Length == 0 || !raw.Value.Contains("{0", StringComparison.Ordinal))
            {
                return raw;
            }
            return new LocalizedString(key, string.Format(System.Globalization.CultureInfo.CurrentCulture, raw.Value, arguments), false, raw.SearchedLocation);
        }
    }
}
