using System.Text.Json;
using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Every failure under /api answers with a problem body an API client can act on, in every environment:
/// a body that is not JSON, or has a value of the wrong type, names the field (its JSON path) and says why; a body
/// over the endpoint's size limit is a 413; anything unexpected is a 500 without stack trace or exception text
/// (the log has them, under the trace id the body carries). Minimal APIs would otherwise answer a bad body with an
/// empty 400 outside Development and with the developer exception page inside it.
/// </summary>
public sealed partial class ApiErrors(RequestDelegate next, ILogger<ApiErrors> logger, IHostEnvironment environment)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        // No route (or no route for this method): say so. Otherwise the portal's fallback policy (signed in) would
        // answer a key-holding client's typo with 401, as if the key were wrong.
        var endpoint = context.GetEndpoint();
        // A body of the wrong type for an upload route (JSON to a multipart endpoint): routing picks its "415" endpoint,
        // which carries none of the route's metadata, so the fallback policy would answer 401 to a valid key.
        if (endpoint?.DisplayName?.StartsWith("415 ", StringComparison.Ordinal) == true)
        {
            await Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported content type: this route takes multipart/form-data (a file upload).")
                .ExecuteAsync(context);
            return;
        }
        if (endpoint is null || endpoint.DisplayName?.StartsWith("405 ", StringComparison.Ordinal) == true)
        {
            var status = endpoint is null ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed;
            await Results.Problem(statusCode: status,
                    title: status == StatusCodes.Status404NotFound ? "No such route under /api; see /openapi/v1.json." : $"{context.Request.Method} is not allowed on this route.")
                .ExecuteAsync(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var (field, message) = Describe(ex);
            context.Response.Clear();
            await FieldProblems.Of(field, message)
                .ToResult(ex.StatusCode, title: ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request is too large" : "The request could not be read")
                .ExecuteAsync(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !environment.IsDevelopment() && ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Unexpected error",
                    detail: "The request failed on the server; nothing more is shown here. Quote the trace id when reporting it.",
                    extensions: new Dictionary<string, object?> { ["traceId"] = context.TraceIdentifier })
                .ExecuteAsync(context);
        }
    }

    /// <summary>The field (a JSON path without "$.", or "body"/"file") and a message saying what was wrong.</summary>
    public static (string Field, string Message) Describe(BadHttpRequestException ex)
    {
        if (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ("body", "The request body is larger than this endpoint accepts.");
        }
        if (ex.InnerException is JsonException json)
        {
            var path = json.Path is null or "$" ? "body" : JsonPathPrefix().Replace(json.Path, "");
            var why = json.InnerException is FormatException || json.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? "has a value of the wrong type or out of range"
                : "is not valid JSON";
            return (path, path == "body" ? $"The request body {why}." : $"The field {path} {why}.");
        }
        if (ex.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase))
        {
            return ("body", "A JSON request body is required.");
        }
        if (ex.Message.Contains("content type", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("form", StringComparison.OrdinalIgnoreCase))
        {
            return ("body", "Unsupported body: send application/json, or multipart/form-data for uploads.");
        }
        // Route and query values that do not parse ("Failed to bind parameter \"int? limit\" from \"abc\"").
        var parameter = ParameterName().Match(ex.Message);
        return parameter.Success ? (parameter.Groups[1].Value, $"The value of {parameter.Groups[1].Value} is not valid.") : ("request", "The request could not be read.");
    }

    [GeneratedRegex(@"^\$\.?")]
    private static partial Regex JsonPathPrefix();

    [GeneratedRegex(@"parameter ""[^""]*?(\w+)""")]
    private static partial Regex ParameterName();
}

/// <summary>
/// Writes problem details for /api requests whatever the Accept header asks for (the default writer gives up on
/// "text/html", and the caller then got a bare JSON object without type or status).
/// </summary>
public sealed class ApiProblemDetailsWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments("/api");

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        problem.Type ??= $"https://tools.ietf.org/html/rfc9110#section-15.{(problem.Status >= 500 ? 6 : 5)}";
        problem.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json"));
    }
}
