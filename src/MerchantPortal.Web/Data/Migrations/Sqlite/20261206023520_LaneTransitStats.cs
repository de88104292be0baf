using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LaneKey = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Sample = table.Column<int>(type: "INTEGER", nullable: false),
                    QuantileHours = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    RefreshedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
