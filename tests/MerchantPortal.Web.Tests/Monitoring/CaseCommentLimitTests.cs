using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>A case on the shared portal to comment on (a parcel without an order: the comment is all that matters).</summary>
internal static class CommentableCase
{
    public static async Task<long> CreateAsync(PortalFactory factory)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var account = await db.Set<MerchantPortal.Web.Features.CarrierAccounts.CarrierAccount>().Where(a => a.ShipperCode == "ZTO").Select(a => a.Id).FirstAsync();
        var now = DateTime.UtcNow;
        var shipment = new Shipment
        {
            CarrierAccountId = account,
            ShipperCode = "ZTO",
            TrackingNo = "CMT" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture),
            Status = ShipmentStatus.InTransit,
            CreatedAtUtc = now,
        };
        db.Add(shipment);
        await db.SaveChangesAsync();
        var c = new ExceptionCase
        {
            ShipmentId = shipment.Id, TrackingNo = shipment.TrackingNo, ShipperCode = "ZTO", Type = ExceptionType.NoUpdate,
            Status = CaseStatus.Open, TriggerAtUtc = now, OpenedAtUtc = now, DueAtUtc = now.AddHours(4),
        };
        db.Add(c);
        await db.SaveChangesAsync();
        return c.Id;
    }

    public static async Task<List<string?>> CommentsAsync(PortalFactory factory, long caseId)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<ExceptionCaseNote>().Where(n => n.CaseId == caseId && n.Kind == CaseNoteKind.Comment).Select(n => n.Text).ToListAsync();
    }
}

/// <summary>10.6 for case comments through the API: a comment over 2,000 characters is refused with a problem naming "text", not cut.</summary>
[Collection(SharedPortal.Name)]
public class CaseCommentApiLimitTests(SharedPortal portal)
{
    [Fact]
    public async Task A_comment_over_2000_characters_is_refused_with_a_problem_naming_the_text_and_nothing_is_stored()
    {
        var caseId = await CommentableCase.CreateAsync(portal.Factory);
        using var api = portal.Factory.CreateApiClient();

        var refused = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/comments", new { text = new string('长', 2001) });
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{(int)refused.StatusCode}: {body}");
        var message = JsonDocument.Parse(body).RootElement.GetProperty("errors").GetProperty("text")[0].GetString()!;
        Assert.Contains("2000", message);
        Assert.Contains("2001", message);
        Assert.Empty(await CommentableCase.CommentsAsync(portal.Factory, caseId));

        // Exactly the limit is kept whole.
        var kept = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/comments", new { text = new string('好', 2000) });
        Assert.Equal(HttpStatusCode.NoContent, kept.StatusCode);
        Assert.Equal(2000, Assert.Single(await CommentableCase.CommentsAsync(portal.Factory, caseId))!.Length);
    }

    [Fact]
    public async Task A_carrier_contact_note_over_2000_or_a_resolution_over_1000_characters_is_refused_and_the_case_stays_open()
    {
        var caseId = await CommentableCase.CreateAsync(portal.Factory);
        var service = portal.Factory.GetService<ExceptionService>();
        Assert.Equal(CaseActionOutcome.Invalid, await service.NoteCarrierContactAsync(caseId, new string('x', 2001), "ops@demo.local"));
        Assert.Equal(CaseActionOutcome.Invalid, await service.ResolveAsync(caseId, new string('x', 1001), "ops@demo.local"));
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(CaseStatus.Open, (await db.Set<ExceptionCase>().SingleAsync(c => c.Id == caseId)).Status);
            Assert.False(await db.Set<ExceptionCaseNote>().AnyAsync(n => n.CaseId == caseId && n.Kind != CaseNoteKind.Opened));
        }
        Assert.Equal(CaseActionOutcome.Done, await service.ResolveAsync(caseId, new string('x', 1000), "ops@demo.local"));
    }

    [Fact]
    public async Task A_blank_comment_is_refused_and_an_unknown_case_answers_404()
    {
        var caseId = await CommentableCase.CreateAsync(portal.Factory);
        using var api = portal.Factory.CreateApiClient();
        var blank = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/comments", new { text = "   " });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.True(JsonDocument.Parse(await blank.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("text", out _));
        var unknown = await api.PostAsJsonAsync("/api/v1/exceptions/987654321/comments", new { text = "hello" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}

/// <summary>
/// The case page (bUnit, with the shared portal's real services and database): a comment over the limit is refused
/// with the reason beside the field, in the reader's language, and the typed text stays there to be shortened.
/// </summary>
[Collection(SharedPortal.Name)]
public class CaseCommentPageLimitTests(SharedPortal portal) : BunitTestBase
{
    [Theory]
    [InlineData("en", "A comment has at most 2,000 characters; this one has 2,001.")]
    [InlineData("zh-CN", "备注最多 2,000 个字符，当前有 2,001 个。")]
    public async Task A_comment_over_2000_characters_is_refused_on_the_page_in_the_readers_language_and_the_text_stays(string culture, string expected)
    {
        var caseId = await CommentableCase.CreateAsync(portal.Factory);
        Context.Services.AddSingleton(portal.Factory.GetService<ExceptionQueries>());
        Context.Services.AddSingleton(portal.Factory.GetService<ExceptionService>());
        Context.AddAuthorization().SetAuthorized("cs@demo.local").SetRoles(Roles.CustomerService);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        var tooLong = new string('长', 2001);

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<ExceptionPage>(c => c.Add(x => x.Id, caseId)));
        page.WaitForElement("textarea[data-testid=case-comment], [data-testid=case-comment] textarea").Input(tooLong);
        page.Find("[data-testid=case-comment-add]").Click();

        page.WaitForAssertion(() => Assert.Contains(expected, page.Markup));
        Assert.Contains(tooLong, page.Markup); // still in the field: nothing was stored, so it is not a note
        Assert.Empty(await CommentableCase.CommentsAsync(portal.Factory, caseId));
    }
}
