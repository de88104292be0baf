using System.Net;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>
/// Photos of returned goods through the API (the return page's upload): stored by their bytes' type under the file's
/// name only, listed with the return, served back as they were; anything else is refused naming the file.
/// </summary>
[Collection(SharedPortal.Name)]
public class ReturnPhotoApiTests(SharedPortal portal)
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    private async Task<HttpClient> ApiAsync()
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("return photo api tests", [ApiScopes.OrdersWrite, ApiScopes.ReturnsRead, ApiScopes.ReturnsWrite], "test");
        return portal.Factory.CreateApiClient(key.Key);
    }

    private static MultipartFormDataContent Form(byte[] content, string fileName) => new() { { new ByteArrayContent(content), "file", fileName } };

    [Fact]
    public async Task A_photo_is_stored_under_its_file_name_only_listed_with_the_return_and_served_back_as_it_was()
    {
        using var api = await ApiAsync();
        var id = await CreatedIdAsync(await CreateReturnAsync(api, await ShippedOrderAsync(portal.Factory, api), 1));

        var created = await ApiAnswers.JsonAsync(await api.PostAsync($"/api/v1/returns/{id}/photos", Form(Png, "../../etc/evil.jpg")), HttpStatusCode.Created);

        var photoId = created.GetProperty("id").GetInt64();
        Assert.Equal(("evil.jpg", "image/png", Png.Length), (created.GetProperty("fileName").GetString(), created.GetProperty("contentType").GetString(), created.GetProperty("sizeBytes").GetInt32()));
        var served = await api.GetAsync($"/api/v1/returns/{id}/photos/{photoId}");
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());
        var listed = await ApiAnswers.JsonAsync(await api.GetAsync($"/api/v1/returns/{id}"), HttpStatusCode.OK);
        Assert.Equal([photoId], listed.GetProperty("photos").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/returns/{id}/photos/{photoId + 1000}")).StatusCode);
    }

    [Fact]
    public async Task A_file_that_is_no_image_is_refused_naming_it_and_the_seventh_photo_is_a_conflict()
    {
        using var api = await ApiAsync();
        var id = await CreatedIdAsync(await CreateReturnAsync(api, await ShippedOrderAsync(portal.Factory, api), 1));

        var refused = await ApiAnswers.JsonAsync(await api.PostAsync($"/api/v1/returns/{id}/photos", Form("<svg onload=alert(1)>"u8.ToArray(), "x.png")), HttpStatusCode.BadRequest);
        Assert.Equal("x.png is not a JPEG, PNG or WebP image.", refused.GetProperty("errors").GetProperty("file")[0].GetString());

        for (var i = 0; i < ReturnService.MaxPhotos; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"/api/v1/returns/{id}/photos", Form(Png, $"p{i}.png"))).StatusCode);
        }
        var seventh = await ApiAnswers.JsonAsync(await api.PostAsync($"/api/v1/returns/{id}/photos", Form(Png, "p7.png")), HttpStatusCode.Conflict);
        Assert.Contains("at most 6 photos", seventh.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(ReturnService.MaxPhotos, (await ApiAnswers.JsonAsync(await api.GetAsync($"/api/v1/returns/{id}"), HttpStatusCode.OK)).GetProperty("photos").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/returns/987654321/photos", Form(Png, "p.png"))).StatusCode);
    }

    [Fact]
    public async Task A_photo_over_5_MB_is_refused_with_a_problem_body()
    {
        using var api = await ApiAsync();
        var id = await CreatedIdAsync(await CreateReturnAsync(api, await ShippedOrderAsync(portal.Factory, api), 1));
        byte[] large = [.. Png, .. new byte[ReturnService.MaxPhotoBytes]];

        var response = await api.PostAsync($"/api/v1/returns/{id}/photos", Form(large, "big.png"));

        // Over the request limit (5 MB + the multipart envelope) Kestrel answers 413; the problem body says why.
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("larger", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await ApiAnswers.JsonAsync(await api.GetAsync($"/api/v1/returns/{id}"), HttpStatusCode.OK)).GetProperty("photos").GetArrayLength());
    }
}
