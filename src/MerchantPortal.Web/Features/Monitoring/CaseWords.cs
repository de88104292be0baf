using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>
/// A case's stored words in the reader's language: the portal closes cases with a fixed resolution ("Delivered",
/// "Pickup rebooked: R1-1") and notes as "system"; people's own resolutions and notes are shown as written.
/// </summary>
public static partial class CaseWords
{
    public static string? Resolution(string? text, IStringLocalizer<MonitoringResources> l) => text switch
    {
        null => null,
        "Delivered" => l["AutoResolution.Delivered"],
        "Return cancelled" => l["AutoResolution.ReturnCancelled"],
        MonitoringScanJob.CaughtUp => l["AutoResolution.CaughtUp"],
        _ when Rebooked().Match(text) is { Success: true } m => l["AutoResolution.PickupRebooked", m.Groups[1].Value],
        _ when CollectedAfterAll().Match(text) is { Success: true } m => l["AutoResolution.CollectedAfterAll", m.Groups[1].Value],
        _ => text,
    };

    /// <summary>A note's text as shown: the portal's own (closing, a changed cause) in the reader's words, people's as written.</summary>
    public static string? NoteText(CaseNoteKind kind, string? text, IStringLocalizer<MonitoringResources> l) => kind switch
    {
        CaseNoteKind.AutoResolved => Resolution(text, l),
        CaseNoteKind.CauseChanged when text?.Split(" → ") is [var from, var to] => l["CauseChanged", l["Type." + from].Value, l["Type." + to].Value],
        _ => text,
    };

    public static string Actor(string actor, IStringLocalizer<MonitoringResources> l) =>
        actor == CaseWriter.System ? l["Actor.System"] : actor;

    [GeneratedRegex(@"^Pickup rebooked: (\S+)$")]
    private static partial Regex Rebooked();

    [GeneratedRegex(@"^Collected after all: (\S+)$")]
    private static partial Regex CollectedAfterAll();
}
