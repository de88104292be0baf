using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Admin.Users;

public static class UserEndpoints
{
    public sealed record InviteUserRequest(
        [property: Required, StringLength(256)] string Email,
        [property: Required, StringLength(UserAdminService.MaxDisplayName, MinimumLength = 1)] string DisplayName,
        [property: Required] string Role);

    public sealed record ChangeRoleRequest([property: Required] string Role);

    /// <summary>The invitation link is in this answer only; it is never stored or shown again.</summary>
    public sealed record InvitationResponse(string UserId, string InvitationLink);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin)).WithTags("Admin");

        group.MapGet("/", ListAsync)
            .WithName("ListUsers").WithSummary("Every portal user with role, status, two-factor and lockout.")
            .Produces<IReadOnlyList<UserRow>>();

        group.MapPost("/", InviteAsync)
            .WithName("InviteUser").WithSummary("Creates a user without a password and returns the invitation link, once.")
            .Produces<InvitationResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/invitation", ReinviteAsync)
            .WithName("ReinviteUser").WithSummary("A new invitation link for a user who has not accepted yet (the page's \"new link\"), returned once; every earlier link stops working (audited). 409 when the user already set a password; 404 for an unknown user.")
            .Produces<InvitationResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPut("/{id}/role", ChangeRoleAsync)
            .WithName("ChangeUserRole").WithSummary("Gives the user exactly one role (Admin, Ops or CustomerService).")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/disable", DisableAsync)
            .WithName("DisableUser").WithSummary("Disables the user and ends their sessions.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/enable", EnableAsync)
            .WithName("EnableUser").WithSummary("Lets a disabled user sign in again.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{id}/reset-2fa", ResetTwoFactorAsync)
            .WithName("ResetUserTwoFactor").WithSummary("Turns two-factor off, voids the authenticator key and recovery codes, ends sessions.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IReadOnlyList<UserRow>> ListAsync(UserAdminService users, CancellationToken ct) => await users.ListAsync(ct);

    private static async Task<IResult> InviteAsync(InviteUserRequest request, UserAdminService users, HttpContext http, CancellationToken ct)
    {
        var (result, invitation) = await users.InviteAsync(request.Email, request.DisplayName, request.Role, Actor.OfUser(http.User), ct);
        if (!result.Succeeded || invitation is null)
        {
            return Problem(result);
        }
        var link = users.AbsoluteLink(invitation.Link);
        return TypedResults.Created($"/api/v1/users/{invitation.UserId}", new InvitationResponse(invitation.UserId, link));
    }

    private static async Task<IResult> ReinviteAsync(string id, UserAdminService users, HttpContext http, CancellationToken ct)
    {
        var (result, invitation) = await users.ReinviteAsync(id, Actor.OfUser(http.User), ct);
        if (!result.Succeeded || invitation is null)
        {
            return Problem(result);
        }
        var link = users.AbsoluteLink(invitation.Link);
        return TypedResults.Ok(new InvitationResponse(invitation.UserId, link));
    }

    private static async Task<IResult> ChangeRoleAsync(string id, ChangeRoleRequest request, UserAdminService users, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await users.ChangeRoleAsync(id, request.Role, Actor.OfUser(user), ct));

    private static async Task<IResult> DisableAsync(string id, UserAdminService users, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await users.DisableAsync(id, Actor.OfUser(user), actorUserId: null, ct));

    private static async Task<IResult> EnableAsync(string id, UserAdminService users, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await users.EnableAsync(id, Actor.OfUser(user), ct));

    private static async Task<IResult> ResetTwoFactorAsync(string id, UserAdminService users, ClaimsPrincipal user, CancellationToken ct) =>
        Answer(await users.ResetTwoFactorAsync(id, Actor.OfUser(user), ct));

    private static IResult Answer(UserAdminResult result) => result.Succeeded ? TypedResults.NoContent() : Problem(result);

    private static IResult Problem(UserAdminResult result) => result.Error switch
    {
        UserAdminError.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such user"),
        UserAdminError.InvalidEmail => Invalid("email", "Enter a valid email address."),
        UserAdminError.InvalidDisplayName => Invalid("displayName", $"A display name has 1 to {UserAdminService.MaxDisplayName} characters."),
        UserAdminError.InvalidRole => Invalid("role", "The role must be one of: " + string.Join(", ", Roles.All) + "."),
        UserAdminError.DuplicateEmail => Conflict("A user with this email already exists."),
        UserAdminError.LastActiveAdmin => Conflict("This is the last active Admin: make another user Admin first."),
        UserAdminError.CannotDisableSelf => Conflict("An Admin cannot disable their own account."),
        UserAdminError.AlreadyAccepted => Conflict("The user has already accepted the invitation."),
        UserAdminError.ConcurrentChange => Conflict(result.Detail ?? "Another change happened at the same moment; try again."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Refused", detail: result.Detail),
    };

    private static IResult Invalid(string field, string message) =>
        FieldProblems.Of(field, message).ToResult();

    private static IResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Refused", detail: detail);
}
