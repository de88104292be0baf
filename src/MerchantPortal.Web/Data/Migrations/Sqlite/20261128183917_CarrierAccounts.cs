using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CarrierAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CarrierAccounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Environment = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CustomBaseUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    EBusinessId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AppKeyProtected = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    AppKeySetAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CustomerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CustomerPwdProtected = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CustomerPwdSetAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    MonthCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SendSite = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SendStaff = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DefaultServiceType = table.Column<int>(type: "INTEGER", nullable: false),
                    DefaultPayType = table.Column<int>(type: "INTEGER", nullable: false),
                    DailyQuota = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestsPerSecond = table.Column<int>(type: "INTEGER", nullable: false),
                    IsDisabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsDefault = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSuccessAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastFailureAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastFailureReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CarrierAccounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CarrierCallStats",
                columns: table => new
                {
                    CarrierAccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    HourUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Calls = table.Column<int>(type: "INTEGER", nullable: false),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CarrierCallStats", x => new { x.CarrierAccountId, x.HourUtc });
                    table.ForeignKey(
                        name: "FK_CarrierCallStats_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CarrierAccounts_Name",
                table: "CarrierAccounts",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CarrierCallStats");

            migrationBuilder.DropTable(
                name: "CarrierAccounts");
        }
    }
}
