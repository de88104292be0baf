using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// Photos of returned goods through the API, as the return page's upload: a help-desk or warehouse app attaches what
/// the customer sent. The same service (<see cref="ReturnService.AddPhotoAsync"/>): JPEG, PNG or WebP by their bytes,
/// at most 5 MB and 6 per return, the file's name only.
/// </summary>
public static class ReturnPhotoEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var photos = api.MapGroup("/returns/{id:long}/photos").WithTags("Returns");

        photos.MapPost("/", AddAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite)).DisableAntiforgery()
            // The photo limit plus room for the multipart envelope; larger bodies are cut off by Kestrel with a 413.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ReturnService.MaxPhotoBytes + 64 * 1024))
            .WithFormOptions(multipartBodyLengthLimit: ReturnService.MaxPhotoBytes + 64 * 1024)
            .Produces<PhotoView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound)
            .WithName("AddReturnPhoto")
            .WithSummary("Attaches a photo of the returned goods (multipart field 'file'): JPEG, PNG or WebP, recognised by its bytes, at most 5 MB; the file's name only is kept. 400 naming file for another type or size; 409 when the return has its 6 photos; 404 for an unknown return. The photos are listed in GET /api/v1/returns/{id}.");

        photos.MapGet("/{photoId:long}", GetAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsRead))
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/jpeg", "image/png", "image/webp").Produces(StatusCodes.Status404NotFound)
            .WithName("GetReturnPhoto")
            .WithSummary("One photo of a return, as stored (its type from its bytes).");
    }

    private static async Task<IResult> AddAsync(long id, IFormFile file, ReturnService service, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct)
    {
        if (file.Length > ReturnService.MaxPhotoBytes)
        {
            return FieldProblems.Of("file", $"{Path.GetFileName(file.FileName)} is larger than 5 MB.").ToResult();
        }
        using var buffer = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream())
        {
            await stream.CopyToAsync(buffer, ct);
        }
        var outcome = await service.AddPhotoAsync(id, file.FileName, buffer.ToArray(), Actor.OfApiKey(user), ct);
        if (!outcome.Ok)
        {
            var problem = outcome.Problems[0];
            // Every reason is about the file, whatever field the service named.
            return problem.Code == "NotFound" ? TypedResults.NotFound()
                : new FieldProblems(outcome.Problems.Select(p => p with { Field = "file" }))
                    .ToResult(problem.Code == "TooManyPhotos" ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
        var photo = (await queries.GetAsync(id, fullPii: false, ct))!.Photos.Single(p => p.Id == outcome.Id);
        return TypedResults.Created($"/api/v1/returns/{id}/photos/{photo.Id}", photo);
    }

    private static async Task<IResult> GetAsync(long id, long photoId, ReturnQueries queries, CancellationToken ct) =>
        await queries.PhotoAsync(id, photoId, ct) is { } photo ? TypedResults.File(photo.Content, photo.ContentType) : TypedResults.NotFound();
}
