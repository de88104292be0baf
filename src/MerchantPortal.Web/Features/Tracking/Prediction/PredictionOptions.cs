using System.ComponentModel.DataAnnotations;

namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>
/// The <c>Tracking:Prediction</c> settings: the window's quantiles, the lane fallback threshold, the pickup cut-off and
/// the calendar of holidays and campaign peaks that widen the window (docs/delivery-prediction.md).
/// </summary>
public sealed class PredictionOptions : IValidatableObject
{
    public const string Section = "Tracking:Prediction";

    /// <summary>
    /// A lane level is used only when at least this many delivered parcels back it; below, the next coarser level is
    /// tried (Service → CarrierLane → CarrierDestination → Carrier → AllCarriers → the built-in default).
    /// </summary>
    [Range(5, 100_000)]
    public int MinimumSample { get; set; } = 30;

    /// <summary>Delivered forward parcels of the last this many days make the lane statistics.</summary>
    [Range(7, 730)]
    public int HistoryDays { get; set; } = 90;

    /// <summary>
    /// The share of the conditional distribution the window holds from pickup (and in transit). The window is the
    /// shortest interval holding that share (docs/delivery-prediction.md §2), not a fixed pair of quantiles: the long
    /// tail of failed deliveries would otherwise widen every window. Chosen from the backtest in docs/benchmarks.md (P11).
    /// </summary>
    [Range(0.5, 0.995)]
    public double PickupCoverage { get; set; } = 0.97;

    /// <summary>The share the window holds once the parcel is in the destination city or out for delivery.</summary>
    [Range(0.5, 0.995)]
    public double DestinationCoverage { get; set; } = 0.97;

    /// <summary>
    /// The longest window shown (before a calendar peak stretches it): a lane too spread for the share above within
    /// it gets the window of this length that holds the most parcels. Two days, as customers read "the 7th or 8th".
    /// </summary>
    [Range(12, 240)]
    public double MaxWindowHours { get; set; } = 48;

    /// <summary>
    /// Beijing-time hour after which a picked-up parcel leaves only with the next day's first line haul: its transit
    /// clock starts at <see cref="FirstDepartureHour"/> the next day. Lane statistics are kept on that clock, so a
    /// parcel picked up at 23:00 and one picked up at 07:00 the next morning get the same delivery day.
    /// </summary>
    [Range(0, 24)]
    public int CutOffHour { get; set; } = 18;

    /// <summary>Beijing-time hour of the first departure of the day (a pickup before it waits until then).</summary>
    [Range(0, 23)]
    public int FirstDepartureHour { get; set; } = 6;

    /// <summary>Weekdays without line-haul departures (Chinese networks run every day, so none by default).</summary>
    public List<DayOfWeek> NoDepartureDays { get; set; } = [];

    /// <summary>
    /// Holidays and campaign peaks (Beijing dates, both ends included) added to the built-in ones. A prediction whose
    /// window touches one has its remaining time multiplied by the period's factor: the window moves later and widens.
    /// </summary>
    public List<PeakPeriod> Calendar { get; set; } = [];

    /// <summary>The built-in 春节, 618 and 双11 periods of 2026 and 2027 (<see cref="DefaultCalendar"/>); false = only <see cref="Calendar"/>.</summary>
    public bool UseDefaultCalendar { get; set; } = true;

    /// <summary>The periods in force: the built-in ones (unless turned off) and the configured ones.</summary>
    public IReadOnlyList<PeakPeriod> Peaks => UseDefaultCalendar ? [.. DefaultCalendar(), .. Calendar] : Calendar;

    public static List<PeakPeriod> DefaultCalendar() =>
    [
        new() { Name = "春节 2026", From = new DateOnly(2026, 2, 12), To = new DateOnly(2026, 2, 24), Factor = 1.8 },
        new() { Name = "618 2026", From = new DateOnly(2026, 6, 16), To = new DateOnly(2026, 6, 20), Factor = 1.2 },
        new() { Name = "双11 2026", From = new DateOnly(2026, 11, 10), To = new DateOnly(2026, 11, 15), Factor = 1.3 },
        new() { Name = "春节 2027", From = new DateOnly(2027, 2, 2), To = new DateOnly(2027, 2, 14), Factor = 1.8 },
        new() { Name = "618 2027", From = new DateOnly(2027, 6, 16), To = new DateOnly(2027, 6, 20), Factor = 1.2 },
        new() { Name = "双11 2027", From = new DateOnly(2027, 11, 10), To = new DateOnly(2027, 11, 15), Factor = 1.3 },
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var period in Calendar)
        {
            if (period.To < period.From || period.Factor is < 1.0 or > 5.0 || string.IsNullOrWhiteSpace(period.Name))
            {
                yield return new ValidationResult($"Tracking:Prediction:Calendar: '{period.Name}' needs a name, From ≤ To and a factor between 1 and 5.");
            }
        }
    }
}

/// <summary>A holiday or campaign peak: parcels are slower, so predictions touching it are stretched by <see cref="Factor"/>.</summary>
public sealed class PeakPeriod
{
    public string Name { get; set; } = "";
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public double Factor { get; set; } = 1.0;
}
