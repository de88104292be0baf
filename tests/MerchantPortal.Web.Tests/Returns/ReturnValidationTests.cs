using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>Bad input gets a clear message naming the field; nothing is stored and no courier is booked.</summary>
[Collection(SharedPortal.Name)]
public class ReturnValidationTests(SharedPortal portal)
{
    /// <summary>A key of its own: the access-matrix walk revokes the demo key in this shared portal.</summary>
    private async Task<HttpClient> ApiAsync()
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("return tests", [ApiScopes.OrdersWrite, ApiScopes.ReturnsRead, ApiScopes.ReturnsWrite], "test");
        return portal.Factory.CreateApiClient(key.Key);
    }

    [Fact]
    public async Task More_than_was_shipped_an_unknown_sku_and_an_unshipped_order_are_refused_by_field()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(portal.Factory, api);
        var unshipped = await ShippedOrderAsync(portal.Factory, api, shipped: false);

        var tooMany = await ProblemAsync(await CreateReturnAsync(api, orderNo, 4), HttpStatusCode.BadRequest);
        var unknown = await ProblemAsync(await CreateReturnAsync(api, orderNo, 1, sku: "NO-SUCH-SKU"), HttpStatusCode.BadRequest);
        var notShipped = await ProblemAsync(await CreateReturnAsync(api, unshipped, 1), HttpStatusCode.BadRequest);

        Assert.Equal("Only 3 of SKU-R can be returned: 3 shipped, 0 already in other returns; 4 asked.", tooMany.GetProperty("lines[0].quantity")[0].GetString());
        Assert.Equal("The order has no line with SKU \"NO-SUCH-SKU\".", unknown.GetProperty("lines[0].sku")[0].GetString());
        Assert.Contains("has not shipped yet", notShipped.GetProperty("orderNo")[0].GetString(), StringComparison.Ordinal);
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Set<ReturnRequest>().AnyAsync(r => db.Set<Features.Orders.Order>().Any(o => o.Id == r.OrderId && (o.OrderNo == orderNo || o.OrderNo == unshipped))));
    }

    [Trait("Database", TestDatabase.ServerTrait)]
    [Fact]
    public async Task Two_returns_of_the_same_goods_at_once_cannot_both_take_them()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(portal.Factory, api);

        var both = await Task.WhenAll(CreateReturnAsync(api, orderNo, 3), CreateReturnAsync(api, orderNo, 3));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.BadRequest], both.Select(r => r.StatusCode).Order());
    }

    [Fact]
    public async Task A_window_in_the_past_and_an_address_without_a_district_are_refused_before_the_carrier_is_called()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(portal.Factory, api);
        var noDistrictOrder = await ShippedOrderAsync(portal.Factory, api, district: "");
        var id = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1));
        var noDistrictId = await CreatedIdAsync(await CreateReturnAsync(api, noDistrictOrder, 1));
        var (start, end) = TomorrowMorning();

        var past = await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup",
            new { windowStart = DateTimeOffset.UtcNow.AddHours(-5), windowEnd = DateTimeOffset.UtcNow.AddHours(-2) }), HttpStatusCode.BadRequest);
        var typedAddress = await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup",
            new { windowStart = start, windowEnd = end, address = new { name = "李雷", phone = "13800138000", province = "浙江省", city = "杭州市", district = "", address = "文三路 90 号" } }), HttpStatusCode.BadRequest);
        var orderAddress = await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/returns/{noDistrictId}/pickup", new { windowStart = start, windowEnd = end }), HttpStatusCode.BadRequest);

        Assert.Equal("The pickup window is in the past; choose a later one.", past.GetProperty("windowStart")[0].GetString());
        Assert.Contains("no district", typedAddress.GetProperty("address.district")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("no district", orderAddress.GetProperty("address.district")[0].GetString(), StringComparison.Ordinal);
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Set<Pickup>().AnyAsync(p => p.ReturnId == id || p.ReturnId == noDistrictId));
    }

    [Fact]
    public async Task A_return_above_the_automatic_limit_waits_for_Ops_and_cannot_be_booked_before()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(portal.Factory, api);
        var (start, end) = TomorrowMorning();

        var id = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1, reason: "NoLongerNeeded"));
        var refused = await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end });
        var approved = await portal.Factory.GetService<ReturnService>().ApproveAsync(id, "ops@demo.local");

        Assert.Equal(ReturnStatus.Approved, (await ReturnTestData.LoadAsync(portal.Factory, id)).Status);
        Assert.True(approved.Ok);
        Assert.Contains("approved return", (await ProblemAsync(refused, HttpStatusCode.Conflict)).GetProperty("status")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_photo_is_accepted_by_its_bytes_and_refused_when_too_large_or_not_an_image()
    {
        using var api = await ApiAsync();
        var id = await CreatedIdAsync(await CreateReturnAsync(api, await ShippedOrderAsync(portal.Factory, api), 1));
        var service = portal.Factory.GetService<ReturnService>();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];

        var ok = await service.AddPhotoAsync(id, "parcel.jpg", png, "cs@demo.local");
        var text = await service.AddPhotoAsync(id, "photo.png", "not an image"u8.ToArray(), "cs@demo.local");
        var large = await service.AddPhotoAsync(id, "big.png", [.. png, .. new byte[ReturnService.MaxPhotoBytes]], "cs@demo.local");

        Assert.True(ok.Ok);
        Assert.Equal("PhotoType", text.Problems.Single().Code);
        Assert.Equal("PhotoTooLarge", large.Problems.Single().Code);
        Assert.Equal("image/webp", ReturnService.ImageType([.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8]));
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal("image/png", (await db.Set<ReturnPhoto>().SingleAsync(p => p.ReturnId == id)).ContentType);
    }
}
