import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { languageCodes } from '../../../shared/src/domain/languages.js'
import { startApp, type TestApp } from '../helpers/app.js'

describe('GET /api/meta', () => {
  describe('without a tile server', () => {
    let t: TestApp
    beforeAll(async () => { t = await startApp() })
    afterAll(() => t.close())

    it('tells the web app to draw outline maps, and lists the ten languages', async () => {
      const res = await t.app.inject('/api/meta')
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body.mapTileUrl).toBeNull()
      expect(body.attribution).toContain('Statbel')
      expect(body.languages.map((l: { code: string }) => l.code)).toEqual(languageCodes)
      expect(body.languages.find((l: { code: string }) => l.code === 'ar').dir).toBe('rtl')
    })
  })

  describe('with MAP_TILE_URL set', () => {
    let t: TestApp
    beforeAll(async () => { t = await startApp({ mapTileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' }) })
    afterAll(() => t.close())

    it('passes the tile template on and credits its host', async () => {
      const body = (await t.app.inject('/api/meta')).json()
      expect(body.mapTileUrl).toBe('https://tiles.example.org/{z}/{x}/{y}.png')
      expect(body.attribution).toContain('tiles.example.org')
    })
  })
})
