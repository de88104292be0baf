using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.SqlServer
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
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Environment = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    CustomBaseUrl = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    EBusinessId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    AppKeyProtected = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    AppKeySetAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ShipperCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    CustomerName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    CustomerPwdProtected = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    CustomerPwdSetAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    MonthCode = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    SendSite = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    SendStaff = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    DefaultServiceType = table.Column<int>(type: "int", nullable: false),
                    DefaultPayType = table.Column<int>(type: "int", nullable: false),
                    DailyQuota = table.Column<int>(type: "int", nullable: false),
                    RequestsPerSecond = table.Column<int>(type: "int", nullable: false),
                    IsDisabled = table.Column<bool>(type: "bit", nullable: false),
                    IsDefault = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    LastSuccessAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastFailureAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastFailureReason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CarrierAccounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CarrierCallStats",
                columns: table => new
                {
                    CarrierAccountId = table.Column<int>(type: "int", nullable: false),
                    HourUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Calls = table.Column<int>(type: "int", nullable: false),
                    Failures = table.Column<int>(type: "int", nullable: false)
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
