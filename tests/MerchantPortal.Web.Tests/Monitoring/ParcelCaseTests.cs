using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>
/// One open case per parcel, filed under the most specific evidence (ADR 0020): a status that says what happened is
/// never filed as a silence or a late date, and a more specific cause later takes over the parcel's case with a note.
/// </summary>
public class ParcelCaseTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    private async Task<List<ExceptionCaseNote>> NotesAsync(long caseId)
    {
        await using var db = await P.DbAsync();
        return await db.Set<ExceptionCaseNote>().AsNoTracking().Where(n => n.CaseId == caseId).OrderBy(n => n.Id).ToListAsync();
    }

    [Theory]
    [InlineData(ShipmentStatus.Exception, "405", ExceptionType.FailedDelivery)]
    [InlineData(ShipmentStatus.Exception, "404", ExceptionType.Rejected)]
    [InlineData(ShipmentStatus.Returning, "407", ExceptionType.ReturningToSender)]
    public async Task A_parcel_whose_status_says_what_happened_is_filed_as_that_not_as_overdue_or_silent(ShipmentStatus status, string stateEx, ExceptionType expected)
    {
        // First seen in that state (no transition observed), silent for three days and past its promise.
        var s = await P.ShipmentAsync(x => (x.Status, x.RawStateEx, x.FirstScanAtUtc, x.LastEventAtUtc, x.StatusChangedAtUtc, x.PromisedByUtc)
            = (status, stateEx, P.Now, P.Now, P.Now, P.Now.AddHours(24)));
        P.Advance(TimeSpan.FromHours(72));

        await P.ScanAsync();
        await P.ScanAsync();

        var c = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal((expected, CaseStatus.Open), (c.Type, c.Status));
    }

    [Fact]
    public async Task A_silent_parcel_with_no_information_code_is_still_filed_as_no_update()
    {
        // 401/403 are the carrier's own "no information": the merchant's silence rule explains them.
        var s = await P.ShipmentAsync(x => (x.Status, x.RawStateEx, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.Exception, "403", P.Now, P.Now));
        P.Advance(TimeSpan.FromHours(48));

        await P.ScanAsync();

        Assert.Equal(ExceptionType.NoUpdate, Assert.Single(await P.CasesAsync(s.Id)).Type);
    }

    [Fact]
    public async Task A_second_cause_on_the_same_parcel_updates_its_case_and_keeps_its_history()
    {
        var s = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.InTransit, P.Now, P.Now));
        P.Advance(TimeSpan.FromHours(48));
        await P.ScanAsync();
        var silent = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal(ExceptionType.NoUpdate, silent.Type);
        await P.GetService<ExceptionService>().AssignAsync(silent.Id, "ops@demo.local", "ops@demo.local");

        await P.TransitionAsync(s.Id, ShipmentStatus.Exception, "405");

        var updated = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal(silent.Id, updated.Id);
        Assert.Equal((ExceptionType.FailedDelivery, ExceptionSeverity.High, "ops@demo.local"), (updated.Type, updated.Severity, updated.AssignedTo));
        Assert.True(updated.CustomerVisible, "a failed delivery is on the customer's tracking page");
        Assert.True(updated.DueAtUtc <= silent.DueAtUtc, "a worse cause never gives more time");
        var notes = await NotesAsync(updated.Id);
        Assert.Equal([CaseNoteKind.Opened, CaseNoteKind.Assigned, CaseNoteKind.CauseChanged], notes.Select(n => n.Kind));
        Assert.Equal("NoUpdate → FailedDelivery", notes[^1].Text);
    }

    [Fact]
    public async Task A_less_specific_cause_leaves_the_parcels_case_as_it_is()
    {
        var s = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc, x.PromisedByUtc) = (ShipmentStatus.OutForDelivery, P.Now, P.Now, P.Now.AddHours(2)));
        await P.TransitionAsync(s.Id, ShipmentStatus.Exception, "405");

        P.Advance(TimeSpan.FromHours(72));
        await P.ScanAsync();

        var c = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal(ExceptionType.FailedDelivery, c.Type);
        Assert.DoesNotContain(await NotesAsync(c.Id), n => n.Kind == CaseNoteKind.CauseChanged);
    }
}
