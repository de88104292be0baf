using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class LaneTransitStats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LaneTransitStats",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    LaneKey = table.Column<string>(type: "nvarchar(120)", maxLength: 120, nullable: false),
                    Level = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Stage = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Sample = table.Column<int>(type: "int", nullable: false),
                    QuantileHours = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    RefreshedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LaneTransitStats", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LaneTransitStats_LaneKey",
                table: "LaneTransitStats",
                column: "LaneKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LaneTransitStats");
        }
    }
}
