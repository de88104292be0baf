using System.Net;
using System.Text.Json;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>Reading an API answer in a test: the status it must have (the body is in the failure message), then its JSON.</summary>
internal static class ApiAnswers
{
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
