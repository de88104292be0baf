using System.Text.Json;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Foundation;

/// <summary>
/// Routes point at named handlers (ADR 0017). A handler method would lend its class name to an operation without a
/// tag, and an operation without a name has no operationId for client generators: every operation of the document
/// carries the name and tag its route gives it.
/// </summary>
[Collection(SharedPortal.Name)]
public class OpenApiDocumentTests(SharedPortal portal)
{
    [Fact]
    public async Task Every_API_operation_has_a_name_and_a_tag_from_its_route_not_from_its_handler()
    {
        using var client = portal.Factory.CreateApiClient(apiKey: null);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _))
                .Select(o => (Route: $"{o.Name.ToUpperInvariant()} {path.Name}", Operation: o.Value)))
            .ToList();
        Assert.NotEmpty(operations);

        var unnamed = operations.Where(o => !o.Operation.TryGetProperty("operationId", out var id) || id.GetString()!.EndsWith("Async", StringComparison.Ordinal))
            .Select(o => o.Route).ToList();
        var classTagged = operations.Where(o => !o.Operation.TryGetProperty("tags", out var tags)
                || tags.EnumerateArray().Any(t => t.GetString()!.EndsWith("Endpoints", StringComparison.Ordinal)))
            .Select(o => o.Route).ToList();

        Assert.True(unnamed.Count == 0, "Operations without a route name: " + string.Join(", ", unnamed));
        Assert.True(classTagged.Count == 0, "Operations tagged by a handler's class: " + string.Join(", ", classTagged));
        Assert.Contains(operations, o => o.Operation.GetProperty("operationId").GetString() == "ApproveOrder");
    }
}
